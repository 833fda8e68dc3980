/**
 * The debounce/hysteresis machine shared by the threshold, area-uptime and health rules: a
 * condition must hold for `forMs` before it fires, and be gone for `clearMs` before it resolves.
 * Pure: the caller passes the clock.
 */
export interface ConditionState {
  phase: 'ok' | 'pending' | 'firing' | 'clearing';
  /** when the current phase began */
  since: number;
  /** when the condition first held (the alert's start) */
  startedAt: number;
}

export const OK_CONDITION: ConditionState = { phase: 'ok', since: 0, startedAt: 0 };

export interface ConditionStep {
  state: ConditionState;
  fired: boolean;
  resolved: boolean;
}

export function stepCondition(s: ConditionState, holds: boolean, now: number, forMs: number, clearMs: number): ConditionStep {
  const out = (state: ConditionState, fired = false, resolved = false): ConditionStep => ({ state, fired, resolved });
  switch (s.phase) {
    case 'ok':
      if (!holds) return out(s);
      if (forMs === 0) return out({ phase: 'firing', since: now, startedAt: now }, true);
      return out({ phase: 'pending', since: now, startedAt: now });
    case 'pending':
      if (!holds) return out(OK_CONDITION);
      return now - s.since >= forMs ? out({ ...s, phase: 'firing', since: now }, true) : out(s);
    case 'firing':
      if (holds) return out(s);
      if (clearMs === 0) return out(OK_CONDITION, false, true);
      return out({ ...s, phase: 'clearing', since: now });
    case 'clearing':
      if (holds) return out({ ...s, phase: 'firing', since: now });
      return now - s.since >= clearMs ? out(OK_CONDITION, false, true) : out(s);
  }
}
