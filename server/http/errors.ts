import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify'

/** The JSON shape of every error answer on both listeners. */
export interface ErrorBody {
  error: string
  message: string
  /** The request field the error is about, when there is one ("body.amount"). */
  field?: string
}

/**
 * Base of every feature's error: a stable code, an HTTP status, a message fit for the user. Features
 * declare an enum of codes and a complete code -> status map, then throw `new XError(code, message)`.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError
}

/**
 * Ajv options for both listeners: an unknown body field is refused with a 400 that names it (see
 * describeFrameworkError), instead of being dropped silently as Fastify's default removeAdditional does.
 */
export const strictValidation = {
  customOptions: { removeAdditional: false },
} satisfies FastifyServerOptions['ajv']

/** Fastify's own error codes mapped to clear client messages. */
function describeFrameworkError(error: FastifyError): ErrorBody & { statusCode: number } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        statusCode: 413,
        error: 'body_too_large',
        message: 'The request body is larger than the limit of this endpoint.',
      }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        statusCode: 415,
        error: 'unsupported_media_type',
        message: `Unsupported Content-Type; send application/json.`,
      }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        statusCode: 400,
        error: 'invalid_json',
        message: 'The body is empty but Content-Type is application/json.',
      }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        statusCode: 400,
        error: 'invalid_json',
        message: `The body is not valid JSON: ${error.message}`,
      }
    case 'FST_ERR_CTP_INVALID_CHARSET':
      return {
        statusCode: 415,
        error: 'unsupported_charset',
        message: 'Unsupported charset; send UTF-8.',
      }
    default:
      break
  }
  if (error.validation) {
    const first = error.validation[0]
    const where = error.validationContext ?? 'request'
    const instancePath = first?.instancePath
      ? first.instancePath.replace(/^\//, '').replace(/\//g, '.')
      : ''
    const params = first?.params as
      { missingProperty?: string; additionalProperty?: string } | undefined
    const named = params?.missingProperty ?? params?.additionalProperty
    const field = [where, instancePath, named].filter(Boolean).join('.')
    const problem =
      params?.additionalProperty !== undefined
        ? 'is not a known field'
        : (first?.message ?? 'is invalid')
    return {
      statusCode: 400,
      error: 'invalid_request',
      message: `${field || where} ${problem}`,
      field,
    }
  }
  if (error instanceof SyntaxError) {
    return {
      statusCode: 400,
      error: 'invalid_json',
      message: `The body is not valid JSON: ${error.message}`,
    }
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Plugins such as @fastify/rate-limit throw plain objects that already carry an `error` code.
    const ownCode = (error as { error?: unknown }).error
    const code = typeof ownCode === 'string' ? ownCode : (error.code ?? 'bad_request').toLowerCase()
    return { statusCode: status, error: code, message: error.message }
  }
  return {
    statusCode: 500,
    error: 'internal_error',
    message: 'Something went wrong inside WM Companion; the log has the details.',
  }
}

/**
 * One error handler: users get a clear message and the code, logs get the detail, nobody gets a stack
 * trace (STYLE rule 5). Also answers unknown routes with JSON.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let body: ErrorBody & { statusCode: number }
    if (isHttpError(error)) {
      body = {
        statusCode: error.statusCode,
        error: error.code,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      }
    } else {
      body = describeFrameworkError(error)
    }
    if (
      request.raw.socket?.destroyed === true ||
      error.code === 'ECONNRESET' ||
      error.code === 'ECONNABORTED'
    ) {
      // The client hung up mid-request: nobody is there to answer, and it is not our failure.
      request.log.warn({ code: error.code ?? null }, 'client aborted the request')
      return
    }
    if (body.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
    } else {
      request.log.info({ code: body.error, statusCode: body.statusCode }, body.message)
    }
    const { statusCode, ...payload } = body
    void reply.code(statusCode).type('application/json; charset=utf-8').send(payload)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: 'not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
    })
  })
}
