import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { ApiError, errorMessage, request, setCsrfToken } from './api';
import type { Session } from './types';

type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly problem?: string }
  | { readonly status: 'signed-in'; readonly session: Session };

interface SessionApi {
  readonly state: SessionState;
  readonly signInWithKey: (apiKey: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  /** After a 401 mid-session (expired, signed out elsewhere, key revoked). */
  readonly ended: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', session });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    request<Session>('/v1/session', { signal: controller.signal }).then(
      ({ body }) => signedIn(body),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          error instanceof ApiError && error.status === 401
            ? { status: 'signed-out' }
            : { status: 'signed-out', problem: `Could not reach the api: ${errorMessage(error)}` },
        );
      },
    );
    return () => controller.abort();
  }, [signedIn]);

  const signInWithKey = useCallback(
    async (apiKey: string) => {
      const { body } = await request<Session>('/v1/session', { method: 'POST', json: { apiKey } });
      signedIn(body);
    },
    [signedIn],
  );
  const signOut = useCallback(async () => {
    try {
      await request('/v1/session', { method: 'DELETE' });
    } finally {
      setCsrfToken(null);
      setState({ status: 'signed-out' });
    }
  }, []);
  const ended = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'signed-out', problem: 'Your session has ended. Please sign in again.' });
  }, []);
  const api = useMemo<SessionApi>(
    () => ({ state, signInWithKey, signOut, ended }),
    [state, signInWithKey, signOut, ended],
  );
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in session (the app renders its pages only then). */
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn while not signed in');
  return state.session;
}
