import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onWireLineEndings } from '../../src/cli/commands/preview.js';

await test('onWireLineEndings: LF, CR and CRLF all become CRLF; a final one is added once', () => {
  assert.equal(onWireLineEndings('A: 1\r\n\r\nx\ny\rz'), 'A: 1\r\n\r\nx\r\ny\r\nz\r\n');
  assert.equal(onWireLineEndings('a\r\n'), 'a\r\n');
  assert.equal(onWireLineEndings('a\n\n'), 'a\r\n\r\n');
  assert.equal(onWireLineEndings(''), '\r\n');
});
