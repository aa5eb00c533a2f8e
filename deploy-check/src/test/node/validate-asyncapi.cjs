// Validates an AsyncAPI document (and the JSON Schemas it references) with the official parser.
// Usage: NODE_PATH=.infra/node/node_modules node validate-asyncapi.cjs contract/asyncapi.yaml
const { Parser, fromFile } = require('@asyncapi/parser');

(async () => {
  const file = process.argv[2];
  const { document, diagnostics } = await fromFile(new Parser(), file).parse();
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
  for (const error of errors) {
    console.error(`${error.path.join('.')}: ${error.message}`);
  }
  if (!document || errors.length > 0) {
    console.error(`${file}: INVALID (${errors.length} errors)`);
    process.exit(1);
  }
  console.log(`${file}: valid, ${document.channels().length} channels, ${document.messages().length} messages, `
    + `${document.operations().length} operations`);
})().catch((error) => { console.error(error); process.exit(2); });
