/**
 * How far a staged rollout has come, for a setting whose old value is a version name.
 */
export interface StagedVersionProps {
  /** The version the clusters of later stages keep. */
  readonly from: string;

  /** The version the clusters of reached stages run. */
  readonly to: string;

  /**
   * The last stage that runs `to`; every stage before it does too. Promoting the rollout one stage
   * is changing this one value to the next stage (or calling `promoted()`).
   *
   * @default - none: every cluster runs `from`
   */
  readonly reached?: string;
}

/**
 * How far a staged rollout has come, for the canary weight.
 */
export interface StagedWeightProps {
  /** The weight the clusters of later stages keep. */
  readonly from: number;

  /** The weight the clusters of reached stages get. */
  readonly to: number;

  /**
   * The last stage that gets `to`; every stage before it does too.
   *
   * @default - none: every cluster gets `from`
   */
  readonly reached?: string;
}

/**
 * A change of one release setting that moves through the fleet's stages in order: the clusters of
 * the stages up to `reached` run the new value, the others the old one.
 */
export class StagedRollout {
  /** Stages the active version of a BlueGreen release. */
  public static activeVersion(props: StagedVersionProps): StagedRollout {
    return new StagedRollout('activeVersion', props.from, props.to, props.reached, 0);
  }

  /** Stages the canary weight of a Canary release. */
  public static canaryWeight(props: StagedWeightProps): StagedRollout {
    return new StagedRollout('canaryWeight', props.from, props.to, props.reached, 0);
  }

  /** The release setting it stages: `activeVersion` or `canaryWeight`. */
  public readonly setting: string;

  private constructor(
    setting: string,
    /** @internal */ public readonly _from: any,
    /** @internal */ public readonly _to: any,
    /** @internal */ public readonly _reached: string | undefined,
    /** @internal */ public readonly _further: number,
  ) {
    this.setting = setting;
  }

  /** The same rollout one stage further: the first stage when none is reached yet. */
  public promoted(): StagedRollout {
    return new StagedRollout(this.setting, this._from, this._to, this._reached, this._further + 1);
  }

  /**
   * The index of the last reached stage (-1 for none), checked against the fleet's stages.
   * @internal
   */
  public _reachedIndex(where: string, stages: string[]): number {
    let index = -1;
    if (this._reached !== undefined) {
      index = stages.indexOf(this._reached);
      if (index < 0) {
        throw new Error(`${where}: rollout reached unknown stage '${this._reached}': the fleet's stages are ${stages.map((s) => `'${s}'`).join(', ')}`);
      }
    }
    const promoted = index + this._further;
    if (promoted >= stages.length) {
      throw new Error(`${where}: rollout cannot be promoted past the last stage '${stages[stages.length - 1]}': it has reached every cluster; make '${this._to}' the release's ${this.setting} and remove the rollout`);
    }
    return promoted;
  }
}
