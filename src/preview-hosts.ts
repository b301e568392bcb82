/**
 * External hosts that always reach one version, e.g. `app-green.example.com` for testing green
 * before it takes traffic.
 */
export class PreviewHosts {
  /**
   * One host per version from a pattern in which `{version}` stands for the version name.
   *
   * @example PreviewHosts.pattern('pii-demo-{version}.apps.hl.test')
   */
  public static pattern(pattern: string): PreviewHosts {
    if (typeof pattern !== 'string' || !pattern.includes('{version}')) {
      throw new Error(`PreviewHosts.pattern: invalid pattern '${pattern}': must contain '{version}', e.g. 'app-{version}.example.com'`);
    }
    return new PreviewHosts(pattern, undefined);
  }

  /**
   * Explicit hosts per version name; versions left out get no preview host.
   *
   * @example PreviewHosts.map({ blue: 'blue.example.com', green: 'green.example.com' })
   */
  public static map(hostsByVersion: { [version: string]: string }): PreviewHosts {
    return new PreviewHosts(undefined, { ...hostsByVersion });
  }

  private constructor(
    /** The host pattern containing `{version}`, if given as a pattern. */
    public readonly hostPattern: string | undefined,
    /** The explicit host per version, if given as a map. */
    public readonly hostsByVersion: { [version: string]: string } | undefined,
  ) {}

  /**
   * The preview host of each version (versions without one are left out).
   */
  public resolve(versions: string[]): { [version: string]: string } {
    const result: { [version: string]: string } = {};
    for (const version of versions) {
      const host = this.hostPattern !== undefined
        ? this.hostPattern.split('{version}').join(version)
        : this.hostsByVersion?.[version];
      if (host !== undefined) {
        result[version] = host;
      }
    }
    return result;
  }
}
