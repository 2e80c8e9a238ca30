import { HttpError } from '../http/errors.js'

/** Every error the timer answers with (STYLE rule 5). */
export enum TimerErrorCode {
  AlreadyRunning = 'timer_running',
  NotRunning = 'timer_not_running',
  NotPaused = 'timer_not_paused',
}

const statusByCode: { [K in TimerErrorCode]: number } = {
  [TimerErrorCode.AlreadyRunning]: 409,
  [TimerErrorCode.NotRunning]: 409,
  [TimerErrorCode.NotPaused]: 409,
}

export class TimerError extends HttpError {
  constructor(
    readonly timerCode: TimerErrorCode,
    message: string,
    field?: string,
  ) {
    super(statusByCode[timerCode], timerCode, message, field)
    this.name = 'TimerError'
  }
}

export function isTimerError(error: unknown): error is TimerError {
  return error instanceof TimerError
}
