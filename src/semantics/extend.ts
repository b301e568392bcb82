/**
 * Where objects built by `extend` start: a constructor of plain objects (its prototype is
 * `Object.prototype`, so they are plain objects in every way) whose hidden classes hang off its own
 * initial one instead of the empty object's. The empty object's room for shared hidden classes is
 * used up in apps of many charts (see `gitops/object-shapes.ts`), and an object built from `{}`
 * after that, by a spread or by `Object.assign`, gets a hidden class of its own.
 */
const PlainObject = function () {} as unknown as new () => object;
PlainObject.prototype = Object.prototype;

/**
 * `{ ...base, ...extra }`, built so that V8 shares one hidden class between all the objects built
 * from objects of the same shapes. In Node 20 (V8 11.3) an object spread gives nearly every object it
 * builds a hidden class of its own, and code reading thousands of such objects (the manifest index,
 * gateway route entries, plan tables) runs several times slower: the traffic plan of 10,000
 * services took a third longer and 60 MB more with spreads (`test/semantics/extend.test.ts` shows
 * the hidden classes).
 */
export function extend<B extends object, E extends object>(base: B, extra: E): B & E {
  return Object.assign(new PlainObject(), base, extra) as B & E;
}
