// css-tree's typings describe only the package root, which loads the whole lexer and its
// property data. The audit needs the tokenizer and the string/ident decoders alone.
declare module 'css-tree/tokenizer' {
  export { tokenize, tokenTypes } from 'css-tree';
}
declare module 'css-tree/utils' {
  export { ident, string } from 'css-tree';
}
