// The one Lua script that enforces the send rate limits, atomically across every worker process.
//
// Model: a sliding window over reserved SLOTS. Each limit keeps a sorted set of the slots reserved under it
// (member = `<emailId>:<revision>`, score = slot time in epoch ms): one set per sender (the tenant and the
// lower-cased from address: tenants never share a sender's slots), one per tenant (all its senders, so one
// tenant's burst waits at its own rate instead of taking the slots every tenant shares) and one global set
// (used by the global limit and the minimum gap). A candidate time t is free when
//   - sender, tenant and global: every window (t' − W, t'] that contains t holds fewer than `limit` other slots, i.e.
//     the trailing window (t − W, t] and the windows ending at each later slot y ∈ (t, t + W);
//   - gap: no global slot lies within (t − gap, t + gap).
// The script looks for the earliest free t ≥ now by jumping: each constraint that t violates names the
// earliest time it could be satisfied (the slot that must leave the window + W, the later full window's end
// + 1, the nearest slot + gap) and t moves to the largest of those, until all hold. t only grows, so it
// ends; starting from the frontiers below, a burst of throttled emails takes one or two rounds each, of
// O(log n) calls.
//
// The slot is reserved in the same call. t = now: reserved for this job (member `<emailId>:<revision>`),
// send now. t > now: reserved for the job the deferral will create (member `<emailId>:<revision + 1>`, the
// revision EmailDeferred gets), so when that job fires it finds its own slot and sends without reserving
// again: each throttled email is deferred once, to its own slot.
//
// KEYS: 1 sender set, 2 tenant set, 3 global set, 4 why-key (the binding limit of a deferral, for a retried
//       job), 5 sender frontier, 6 tenant frontier, 7 global frontier, 8 this job's own why-key (present when
//       its slot was reserved by the deferral that created it).
// ARGV: 1 now, 2 window, 3 sender limit, 4 tenant limit, 5 global limit, 6 gap (0 = off each), 7 member for
//       now, 8 member for the deferred job.
// Returns { code, slot, limit, rounds }: code 0 = send now, 1 = defer to slot (limit binding), 2 = the slot
// reserved for this job is still ahead: wait for it; rounds = search rounds spent (for the cost tests).

export const RESERVE_SLOT_LUA = `
local senderKey, tenantKey, globalKey, whyKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local senderFrontierKey, tenantFrontierKey, globalFrontierKey = KEYS[5], KEYS[6], KEYS[7]
local ownWhyKey = KEYS[8]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local senderLimit = tonumber(ARGV[3])
local tenantLimit = tonumber(ARGV[4])
local globalLimit = tonumber(ARGV[5])
local gap = tonumber(ARGV[6])
local memberNow, memberDeferred = ARGV[7], ARGV[8]

local useSender = senderLimit > 0
local useTenant = tenantLimit > 0
local useGlobal = globalLimit > 0 or gap > 0
local keys = {}
if useSender then keys[#keys + 1] = senderKey end
if useTenant then keys[#keys + 1] = tenantKey end
if useGlobal then keys[#keys + 1] = globalKey end
if #keys == 0 then return { 0, now, '', 0 } end

-- Slots at or before now - max(window, gap) can share no window and no gap with any t >= now.
local horizon = math.max(window, gap)
for _, key in ipairs(keys) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - horizon)
end

-- A slot already reserved for this job (a deferred email's job firing), or for the deferral of this job
-- (the worker that reserved it died before appending EmailDeferred): use it, never reserve twice. Looked
-- for in every set, on or off: limits change at run time (a tenant's overrides, workers whose settings
-- caches differ), and a slot reserved under the limits of then is this job's all the same.
local function reserved(member)
  for _, key in ipairs({ senderKey, tenantKey, globalKey }) do
    local score = redis.call('ZSCORE', key, member)
    if score then return score end
  end
  return nil
end
-- A slot still ahead is waited for only when a deferral reserved it (its why-key says so); one reserved to
-- send now was reserved by another execution of this very job whose clock read a few ms later: it is this
-- job's slot as much, and the claim at the store decides which execution sends.
local own = reserved(memberNow)
if own then
  own = tonumber(own)
  if own <= now or redis.call('EXISTS', ownWhyKey) == 0 then return { 0, own, '', 0 } end
  return { 2, own, '', 0 }
end
local pending = reserved(memberDeferred)
if pending then
  pending = tonumber(pending)
  if pending <= now then return { 0, pending, '', 0 } end
  return { 1, pending, redis.call('GET', whyKey) or 'sender', 0 }
end

local function num(s) return tonumber(s) end

-- The earliest time >= t that the sliding-window limit on key could allow, or t if t is free.
local function nextForLimit(key, limit, t)
  local lo = t - window
  local trailing = redis.call('ZCOUNT', key, '(' .. lo, t)
  if trailing >= limit then
    -- The first (trailing - limit + 1) slots of the trailing window must have left it.
    local r = redis.call('ZRANGEBYSCORE', key, '(' .. lo, t, 'WITHSCORES', 'LIMIT', trailing - limit, 1)
    return num(r[2]) + window
  end
  if redis.call('ZCOUNT', key, '(' .. t, '(' .. (t + window)) == 0 then return t end
  -- Later slots y in (t, t + W): the window (y - W, y] contains t too. Two pointers over (t - W, t + W).
  local s = redis.call('ZRANGEBYSCORE', key, '(' .. lo, '(' .. (t + window), 'WITHSCORES')
  local first = 1
  for i = 1, #s / 2 do
    local y = num(s[2 * i])
    if y > t then
      while num(s[2 * first]) <= y - window do first = first + 1 end
      if i - first + 1 >= limit then return y + 1 end
    end
  end
  return t
end

local function nextForGap(t)
  local r = redis.call('ZRANGEBYSCORE', globalKey, '(' .. (t - gap), '(' .. (t + gap), 'WITHSCORES')
  if #r == 0 then return t end
  return num(r[#r]) + gap
end

local rounds = 0
-- Jumps from t to the earliest time every constraint allows; returns it and the constraint that moved last.
local function search(t, binding, withTenant, withSender)
  while true do
    rounds = rounds + 1
    local moved = false
    if withSender then
      local n = nextForLimit(senderKey, senderLimit, t)
      if n > t then t = n; binding = 'sender'; moved = true end
    end
    if withTenant then
      local n = nextForLimit(tenantKey, tenantLimit, t)
      if n > t then t = n; binding = 'tenant'; moved = true end
    end
    if globalLimit > 0 then
      local n = nextForLimit(globalKey, globalLimit, t)
      if n > t then t = n; binding = 'global'; moved = true end
    end
    if gap > 0 then
      local n = nextForGap(t)
      if n > t then t = n; binding = 'min-gap'; moved = true end
    end
    if not moved then return t, binding end
  end
end

-- Frontiers: slots are only ever added (trimming drops only slots that share no window with t >= now), so
-- a time found taken stays taken. Every time before the last search's answer was taken for that sender
-- (under its tenant's and the global limits too), every time before the last answer under the tenant's and
-- the global limits for that tenant, and every time before the earliest the global limit and the gap allowed
-- for all: start there, so a burst of n throttled emails costs O(n) rounds in all, not O(n) rounds each. (An
-- admin raising a tenant's limit can leave a frontier later than needed: slower, never over a limit, and
-- only until it expires, a window after its time.)
local function readFrontier(key)
  local value = redis.call('GET', key)
  if not value then return now, '' end
  local f, why = string.match(value, '^(%d+):(.*)$')
  f = tonumber(f)
  if not f or f <= now then return now, '' end
  return f, why
end
-- Only a time some limit pushed past now is worth keeping: "now was free" says nothing to a caller whose
-- now is later, and to one whose clock reads a few ms earlier (another worker) it would be a deferral for
-- no limit at all (two workers under a tenant limit far from full deferred each other's emails by 6 ms).
local function writeFrontier(key, f, why)
  if f <= now then return end
  redis.call('SET', key, f .. ':' .. why, 'PX', math.max(1, f - now + horizon + 1000))
end

local t, binding = now, ''
if useGlobal then
  t, binding = readFrontier(globalFrontierKey)
  t, binding = search(t, binding, false, false)
  writeFrontier(globalFrontierKey, t, binding)
end
if useTenant then
  local f, why = readFrontier(tenantFrontierKey)
  if f > t then t, binding = f, why end
  t, binding = search(t, binding, true, false)
  writeFrontier(tenantFrontierKey, t, binding)
end
if useSender then
  local f, why = readFrontier(senderFrontierKey)
  if f > t then t, binding = f, why end
  t, binding = search(t, binding, useTenant, true)
  writeFrontier(senderFrontierKey, t, binding)
end
if t > now and binding == '' then
  if useSender then binding = 'sender'
  elseif useTenant then binding = 'tenant'
  elseif globalLimit > 0 then binding = 'global'
  else binding = 'min-gap' end
end

local member = memberNow
if t > now then member = memberDeferred end
for _, key in ipairs(keys) do
  redis.call('ZADD', key, t, member)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', key, math.max(1, num(last[2]) - now + horizon + 1000))
end
if t == now then return { 0, t, '', rounds } end
redis.call('SET', whyKey, binding, 'PX', t - now + horizon + 60000)
return { 1, t, binding, rounds }
`;
