// Reading zeebe: extension elements off a moddle element.

/** The first extension element of `type` (e.g. 'zeebe:FormDefinition') on `node`, or undefined. */
function extension(node, type) {
  const values = node.extensionElements?.values || [];
  return values.find((v) => v.$type === type);
}

module.exports = { extension };
