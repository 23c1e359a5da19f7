/**
 * Thrown in the front bundle (src/cli/front.ts) where the linter itself is needed: a campaign
 * that is not a cache hit, a payload, a command other than lint. main() lets it through, and the
 * launcher runs the whole command line instead. The whole bundle never throws it.
 */
export class EngineNeeded extends Error {
  override name = 'EngineNeeded';
}
