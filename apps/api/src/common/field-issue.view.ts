/** One reason a field was refused: `field` is a path such as `to[2]` or `emails[0].subject`. */
export class FieldIssue {
  readonly field!: string;
  readonly reason!: string;
}
