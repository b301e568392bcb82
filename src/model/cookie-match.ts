import { HeaderCondition } from './release-model';
import { re2Quote } from '../validate/http-names';

/**
 * Matches one `name=value` pair anywhere in the `cookie` header. Browsers separate pairs with `; `,
 * some clients with `;` alone, so any run of spaces after `;` is accepted; anchoring on `;` keeps
 * `xx-name=value` and `name=value2` from matching.
 */
export function cookieCondition(name: string, value: string): HeaderCondition {
  return { name: 'cookie', regex: `^(.*?;\\s*)?(${re2Quote(`${name}=${value}`)})(;.*)?$` };
}
