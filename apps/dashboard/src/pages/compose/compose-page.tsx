import type { ReactNode } from 'react';
import { IssueList } from '../../components/issue-list';
import { KeyValueRows } from '../../components/key-value-rows';
import { AttachmentsField } from './attachments-field';
import { useComposeForm } from './compose-form';
import { ComposeField } from './compose-field';
import { DeliveryWindowField } from './delivery-window-field';
import { SendAtField } from './send-at-field';
import { TemplateField } from './template-field';

export function ComposePage(): ReactNode {
  const form = useComposeForm();
  return (
    <section className="page">
      <h1>Compose</h1>
      <form className="card form compose" onSubmit={(event) => void form.submit(event)} noValidate>
        {form.problem && (
          <div className="notice notice-error" role="alert">
            {form.problem}
            {form.otherIssues.length > 0 && <IssueList issues={form.otherIssues} />}
          </div>
        )}
        <div className="grid-2">
          <div>
            <ComposeField
              form={form}
              field="from"
              label="From"
              placeholder="Ada <ada@example.com>"
              autoComplete="email"
            />
          </div>
          <div>
            <ComposeField
              form={form}
              field="to"
              label="To"
              placeholder="bob@example.com, carol@example.com"
            />
          </div>
          <div>
            <ComposeField form={form} field="cc" label="Cc" optional="optional" />
          </div>
          <div>
            <ComposeField form={form} field="bcc" label="Bcc" optional="optional" />
          </div>
          <div>
            <ComposeField
              form={form}
              field="replyTo"
              label="Reply-To"
              optional="optional; where replies go"
              placeholder="support@example.com"
            />
          </div>
        </div>
        <TemplateField form={form} />
        {form.template.id === '' && (
          <>
            <ComposeField form={form} field="subject" label="Subject" />
            <ComposeField form={form} field="text" label="Text" rows={5} />
            <ComposeField
              form={form}
              field="html"
              label="HTML"
              optional="optional; shown to you with scripts disabled; an inline attachment is cid:<its id>"
              rows={4}
              className="mono"
              placeholder="<p>Hello <b>Bob</b></p>"
            />
          </>
        )}
        <AttachmentsField form={form} />
        <div className="grid-2">
          <KeyValueRows
            idPrefix="compose-headers"
            legend="Headers"
            hint="optional; e.g. X-Campaign"
            part="headers"
            keyPlaceholder="X-Campaign"
            rows={form.headers}
            issues={form.issuesOf('headers')}
            onChange={form.editHeaders}
          />
          <KeyValueRows
            idPrefix="compose-metadata"
            legend="Metadata"
            hint="optional; never sent, shown here and in webhooks"
            part="metadata"
            keyLabel="Key"
            rows={form.metadata}
            issues={form.issuesOf('metadata')}
            onChange={form.editMetadata}
          />
        </div>
        <SendAtField form={form} />
        <DeliveryWindowField
          idPrefix="compose"
          window={form.window}
          emailZone={form.values.timeZone}
          issues={form.issuesOf('deliveryWindow')}
          onChange={form.editWindow}
        />
        <div className="grid-2">
          <div>
            <ComposeField
              form={form}
              field="tags"
              label="Tags"
              optional="optional, comma-separated"
            />
          </div>
          <div>
            <ComposeField
              form={form}
              field="maxAttempts"
              label="Max attempts"
              optional="optional"
              type="number"
              min={1}
              inputMode="numeric"
            />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={form.busy}>
            {form.busy ? 'Scheduling…' : 'Schedule email'}
          </button>
        </div>
      </form>
    </section>
  );
}
