/** A catalog document whose step jumps to a step that does not exist (line 12): a worker refuses it. */
export function brokenDocument(openapiUrl = '../openapi/airbyte-openapi.yml'): string {
  return [
    'arazzo: 1.0.1',
    'info: { title: broken, version: "1" }',
    'sourceDescriptions:',
    `  - { name: airbyteApi, url: ${openapiUrl}, type: openapi }`,
    'workflows:',
    '  - workflowId: broken',
    '    steps:',
    '      - stepId: poll',
    '        operationId: getJob',
    '        parameters: [{ name: jobId, in: path, value: 1 }]',
    '        onSuccess:',
    '          - { name: loop, type: goto, stepId: nowhere }',
    '',
  ].join('\n');
}
