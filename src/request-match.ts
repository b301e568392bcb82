import { cookieCondition } from './model/cookie-match';
import { HttpMatchModel } from './model/release-model';
import { checkCookieName, checkCookieValue, checkGeneratedRegex, checkHeaderName, checkHeaderValue, checkRe2Regex, checkRequestPath } from './validate/http-names';

interface Condition {
  readonly kind: 'header-exact' | 'header-prefix' | 'header-regex' | 'cookie' | 'uri-exact' | 'uri-prefix' | 'uri-regex';
  readonly name?: string;
  readonly value: string;
}

/**
 * Conditions on a request, all of which must hold. A list of `RequestMatch` matches when any of
 * them does.
 */
export class RequestMatch {
  /** The header has exactly this value (header names are lowercase). */
  public static header(name: string, value: string): RequestMatch {
    return new RequestMatch([{ kind: 'header-exact', name, value }]);
  }

  /** The header value starts with `prefix`. */
  public static headerPrefix(name: string, prefix: string): RequestMatch {
    return new RequestMatch([{ kind: 'header-prefix', name, value: prefix }]);
  }

  /** The whole header value matches the RE2 expression `regex`. */
  public static headerRegex(name: string, regex: string): RequestMatch {
    return new RequestMatch([{ kind: 'header-regex', name, value: regex }]);
  }

  /**
   * The `cookie` header carries `name=value` (in any position, with or without a space after `;`).
   */
  public static cookie(name: string, value: string): RequestMatch {
    return new RequestMatch([{ kind: 'cookie', name, value }]);
  }

  /**
   * The path is exactly `path`. Envoy compares the path without its query string, so `path` must
   * not contain `?` (a query never matches).
   */
  public static uriExact(path: string): RequestMatch {
    return new RequestMatch([{ kind: 'uri-exact', value: path }]);
  }

  /**
   * The path starts with `prefix` as a plain string, exactly as Istio's `uri.prefix`: `/color` also
   * matches `/colors` and `/color-picker`. For a prefix matched by whole path segments use
   * `PathRoute` (or `CookieRoute.pathPrefix`).
   */
  public static uriPrefix(prefix: string): RequestMatch {
    return new RequestMatch([{ kind: 'uri-prefix', value: prefix }]);
  }

  /** The whole path (without query string) matches the RE2 expression `regex`. */
  public static uriRegex(regex: string): RequestMatch {
    return new RequestMatch([{ kind: 'uri-regex', value: regex }]);
  }

  /** All of the given matches hold at once. */
  public static all(...matches: RequestMatch[]): RequestMatch {
    return new RequestMatch(matches.flatMap((m) => m.conditions));
  }

  private constructor(private readonly conditions: Condition[]) {}

  /**
   * Converts to the release model, checking every condition.
   * @internal
   */
  public _toModel(where: string): HttpMatchModel {
    let uri: Partial<HttpMatchModel> = {};
    const headers: NonNullable<HttpMatchModel['headers']> = [];
    for (const c of this.conditions) {
      if (c.kind.startsWith('uri-')) {
        if (Object.keys(uri).length > 0) {
          throw new Error(`${where}: a request match has two uri conditions; a request has one path, so combine them into one regex or use two matches`);
        }
        uri = uriCondition(where, c);
      } else if (c.kind === 'cookie') {
        checkCookieName(where, c.name!);
        checkCookieValue(where, c.name!, c.value);
        const cookie = cookieCondition(c.name!, c.value);
        checkGeneratedRegex(where, `cookie ${c.name}=${c.value}`, cookie.regex!);
        headers.push(cookie);
      } else {
        checkHeaderName(where, c.name!);
        if (c.kind === 'header-regex') {
          checkRe2Regex(where, `header '${c.name}'`, c.value);
        } else {
          checkHeaderValue(where, c.name!, c.kind === 'header-exact' ? 'value' : 'prefix', c.value);
        }
        headers.push({
          name: c.name!,
          exact: c.kind === 'header-exact' ? c.value : undefined,
          prefix: c.kind === 'header-prefix' ? c.value : undefined,
          regex: c.kind === 'header-regex' ? c.value : undefined,
        });
      }
    }
    const names = headers.map((h) => h.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) {
      throw new Error(`${where}: a request match has two conditions on header '${duplicate}'; Istio matches each header once per match entry: use separate matches, or one regex`);
    }
    return { ...uri, headers: headers.length > 0 ? headers : undefined };
  }
}

function uriCondition(where: string, c: Condition): Partial<HttpMatchModel> {
  if (c.kind === 'uri-regex') {
    checkRe2Regex(where, 'uri', c.value);
    return { uriRegex: c.value };
  }
  checkRequestPath(where, c.kind === 'uri-exact' ? 'uriExact' : 'uriPrefix', c.value);
  return c.kind === 'uri-exact' ? { uriExact: c.value } : { uriPrefix: c.value };
}
