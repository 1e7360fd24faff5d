/** The operation uses something the compiled path does not handle: graphql-js answers it. */
export class NotCompilable extends Error {
  constructor(readonly reason: string) {
    super(`not compilable: ${reason}`);
  }
}
