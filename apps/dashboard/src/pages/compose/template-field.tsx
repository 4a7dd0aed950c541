import type { ReactNode } from 'react';
import { errorMessage } from '../../api';
import { IssueList } from '../../components/issue-list';
import { TemplatePreview, useTemplatePreview } from '../../components/template-preview';
import { VariablesEditor } from '../../components/variables-editor';
import { variablesOf } from '../../message-parts';
import { usePolling } from '../../polling';
import { getTemplate, listTemplates, templatesPath } from '../../templates-api';
import type { ComposeForm } from './compose-form';

/**
 * Render the email from a template instead of typing it: the template, a published version (the latest
 * unless one is chosen), its variables, and a live preview of what the recipient gets.
 */
export function TemplateField({ form }: { readonly form: ComposeForm }): ReactNode {
  const { template } = form;
  const list = usePolling(
    'compose-templates',
    (signal) => listTemplates(templatesPath(undefined, 100), signal),
    null,
  );
  const detail = usePolling(
    `compose-template:${template.id}`,
    (signal) =>
      template.id === '' ? Promise.resolve(undefined) : getTemplate(template.id, signal),
    null,
  );
  const published = (detail.data?.versions ?? []).filter(
    (version) => version.status === 'published',
  );
  const parsed = variablesOf(template.variables);
  const preview = useTemplatePreview(
    template.id,
    template.version === '' ? undefined : Number(template.version),
    'issue' in parsed ? undefined : parsed.variables,
  );
  const issues = form.issuesOf('template');
  const variableIssues = [
    ...issues.filter((issue) => issue.field.startsWith('template.variables')),
    ...preview.issues,
  ];
  const otherIssues = issues.filter((issue) => !issue.field.startsWith('template.variables'));
  const templates = list.data?.items ?? [];
  return (
    <fieldset className="template-use">
      <legend>
        Template <span className="optional">optional; replaces the subject and bodies</span>
      </legend>
      <div className="grid-2">
        <div>
          <label htmlFor="template-id">Template</label>
          <select
            id="template-id"
            value={template.id}
            onChange={(e) => form.editTemplate({ ...template, id: e.target.value, version: '' })}
          >
            <option value="">None: type the subject and bodies</option>
            {templates.map((item) => (
              <option key={item.id} value={item.id} disabled={item.publishedVersion == null}>
                {item.name}
                {item.publishedVersion == null ? ' (nothing published)' : ''}
              </option>
            ))}
          </select>
          {list.error !== undefined && (
            <p className="field-error">Templates could not be listed: {errorMessage(list.error)}</p>
          )}
        </div>
        {template.id !== '' && (
          <div>
            <label htmlFor="template-version">Version</label>
            <select
              id="template-version"
              value={template.version}
              onChange={(e) => form.editTemplate({ ...template, version: e.target.value })}
            >
              <option value="">The latest published</option>
              {published.map((version) => (
                <option key={version.version} value={String(version.version)}>
                  v{version.version}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {otherIssues.length > 0 && (
        <IssueList issues={otherIssues} className="field-error" fieldAsCode />
      )}
      {template.id !== '' && (
        <>
          <VariablesEditor
            idPrefix="compose-template"
            draft={template.variables}
            issues={
              'issue' in parsed && template.variables.mode === 'json'
                ? [parsed.issue, ...variableIssues]
                : variableIssues
            }
            onChange={(variables) => form.editTemplate({ ...template, variables })}
          />
          <TemplatePreview state={preview} />
        </>
      )}
    </fieldset>
  );
}
