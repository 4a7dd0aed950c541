import { type ChangeEvent, type DragEvent, type ReactNode, useState } from 'react';

/** Choose a CSV file, or drop one on the zone. */
export function CsvDropzone({
  file,
  choose,
}: {
  readonly file: File | undefined;
  readonly choose: (file: File | undefined) => void;
}): ReactNode {
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  };
  return (
    <>
      <label
        htmlFor="csv-file"
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <strong>{file ? file.name : 'Choose a CSV file'}</strong>
        <span className="muted">
          {file ? `${file.size.toLocaleString()} bytes` : 'or drop it here'}
        </span>
      </label>
      <input
        id="csv-file"
        className="visually-hidden-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(event: ChangeEvent<HTMLInputElement>) => choose(event.target.files?.[0])}
      />
    </>
  );
}
