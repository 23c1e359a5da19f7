import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractLinks, extractVisibleText, parseHtml } from '../../src/parsers/html-dom.js';
import { findUrls, isUnsubscribeLink } from '../../src/parsers/html.js';

const body = [
  '<!doctype html><html><head><title>Winter sale</title><style>p { color: red }</style></head>', // 1
  '<body><p>Hello {{first_name}},</p>', // 2
  '<script>var fake = "<a href=\'https://example.com/script\'>unsubscribe</a>";</script>', // 3
  '<p>Ex<b>ample</b> Ltd,<br>1 Main   Street</p>', // 4
  '<a href="{{unsubscribe_url}}">Click', // 5
  '  here</a> | <a href="https://example.com/?a=1&amp;b=2"><img alt="Logo"> Manage your email preferences</a>', // 6
  "{{#if vip}}<a href='mailto:unsub@example.com'>x</a>{{/if}}", // 7
  '</body></html>',
].join('\n');

void describe('parseHtml', () => {
  void it('finds links with decoded hrefs, visible text and start-tag positions, templates kept raw', () => {
    assert.deepEqual(extractLinks(body), [
      { href: '{{unsubscribe_url}}', text: 'Click here', line: 5, column: 1, endLine: 5, endColumn: 31 },
      { href: 'https://example.com/?a=1&b=2', text: 'Logo Manage your email preferences', line: 6, column: 14, endLine: 6, endColumn: 57 },
      { href: 'mailto:unsub@example.com', text: 'x', line: 7, column: 12, endLine: 7, endColumn: 47 },
    ]);
  });

  void it('collapses visible text, ignores head, script and style, and separates block elements', () => {
    assert.equal(
      extractVisibleText(body),
      'Hello {{first_name}}, Example Ltd, 1 Main Street Click here | Logo Manage your email preferences {{#if vip}}x{{/if}}',
    );
  });

  void it('reads fragments without html/body and keeps a postal address across line breaks', () => {
    const info = parseHtml('<td>Example Ltd,\n   1 Main Street<br/>London N1 1AA</td>');
    assert.equal(info.visibleText, 'Example Ltd, 1 Main Street London N1 1AA');
    assert.deepEqual(info.links, []);
  });
});

void describe('isUnsubscribeLink', () => {
  void it('accepts unsubscribe wording in the URL or the text', () => {
    assert.equal(isUnsubscribeLink('{{unsubscribe_url}}', 'Click here'), true);
    assert.equal(isUnsubscribeLink('https://example.com/optout?id=1', ''), true);
    assert.equal(isUnsubscribeLink('https://example.com/x', 'Opt-out of these emails'), true);
    assert.equal(isUnsubscribeLink('https://example.com/x', 'Manage your\n  preferences'), true);
    assert.equal(isUnsubscribeLink('https://example.com/x', 'Email preferences'), true);
    assert.equal(isUnsubscribeLink('https://example.com/x', 'UNSUBSCRIBE'), true);
  });

  void it('rejects ordinary links', () => {
    assert.equal(isUnsubscribeLink('https://example.com/sale', 'See the sale'), false);
    assert.equal(isUnsubscribeLink('{{shop_url}}', 'Subscribe now'), false);
  });
});

void describe('findUrls', () => {
  void it('finds written URLs with positions, keeping templates and dropping trailing punctuation', () => {
    assert.deepEqual(findUrls('Visit https://example.com/u/{{token}}.\nOr (https://example.org/x).'), [
      { url: 'https://example.com/u/{{token}}', kind: 'url', line: 1, column: 7, endLine: 1, endColumn: 38 },
      { url: 'https://example.org/x', kind: 'url', line: 2, column: 5, endLine: 2, endColumn: 26 },
    ]);
  });

  void it('reports whole link expressions as template URLs', () => {
    assert.deepEqual(findUrls('Unsubscribe: {{unsubscribe_url}} or {{{ manage_link }}}; {{first_name}}'), [
      { url: '{{unsubscribe_url}}', kind: 'template', line: 1, column: 14, endLine: 1, endColumn: 33 },
      { url: '{{{ manage_link }}}', kind: 'template', line: 1, column: 37, endLine: 1, endColumn: 56 },
    ]);
  });
});
