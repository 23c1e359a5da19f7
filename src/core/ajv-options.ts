/** The options every validator of ours is compiled with (the standalone code is generated with the same). */
// inlineRefs: false: a `$ref` is a call to one function for its definition, not a copy of its code
// at every use (the config schema's rules and overrides share `$defs`: half the validator's size).
export const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true, allowUnionTypes: true, inlineRefs: false } as const;
