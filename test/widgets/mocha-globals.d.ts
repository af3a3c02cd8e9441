// The mocha globals @web/test-runner provides in the browser (there is no
// @types/mocha here); function declarations, so another suite's declarations
// merge with these as overloads.
declare function describe(title: string, body: (this: MochaContext) => void): void;
declare function it(title: string, body: (this: MochaContext) => void | Promise<void>): void;
declare function before(body: (this: MochaContext) => void | Promise<void>): void;
declare function after(body: (this: MochaContext) => void | Promise<void>): void;
declare function beforeEach(body: (this: MochaContext) => void | Promise<void>): void;
declare function afterEach(body: (this: MochaContext) => void | Promise<void>): void;

interface MochaContext {
  timeout(ms: number): void;
  skip(): void;
}
