/** The options every validator of ours is compiled with (the standalone code is generated with the same). */
export const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true, allowUnionTypes: true } as const;
