import { validationFailed } from '../../common/validation';
import type { TemplateRendering, TemplateUse } from '../../templates/template-rendering';
import type { ScheduleEmailItem } from './schedule-email.command';

/**
 * Items that name a template, with subject, text and html rendered from its pinned version; the others as
 * they are. Runs before anything is decided, so a template that does not render refuses its item at
 * scheduling (400 naming the variable, 422 for a limit), never at send time. The request hash was taken
 * from the request as written, so an Idempotency-Key repeat compares requests, not renderings.
 */
export async function renderTemplatedItems(
  rendering: TemplateRendering,
  tenantId: string,
  items: readonly ScheduleEmailItem[],
): Promise<(ScheduleEmailItem | Error)[]> {
  const templated = items.flatMap((item, index) =>
    item.input.template === undefined ? [] : [{ item, index }],
  );
  if (templated.length === 0) return [...items];
  const rendered = await rendering.renderMany(
    tenantId,
    templated.map(({ item }) => item.input.template as TemplateUse),
  );
  const results: (ScheduleEmailItem | Error)[] = [...items];
  templated.forEach(({ item, index }, i) => {
    const { input } = item;
    const outcome = rendered[i];
    if (input.subject !== undefined || input.text !== undefined || input.html !== undefined) {
      results[index] = validationFailed([
        {
          field: 'template',
          reason: 'renders subject, text and html: give either a template or those, not both',
        },
      ]);
    } else if (outcome === undefined || outcome instanceof Error) {
      results[index] = outcome ?? new Error('no rendering for a templated item');
    } else {
      results[index] = { ...item, input: { ...input, ...outcome } };
    }
  });
  return results;
}
