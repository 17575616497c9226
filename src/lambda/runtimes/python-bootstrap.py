# kumo's runtime client for python3.* functions (standard library only): imports the handler
# named by _HANDLER from LAMBDA_TASK_ROOT, then loops on the Lambda Runtime API: fetch an
# event, call the handler, post the result or the error.
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
HOST_PORT, _, PREFIX = API.partition("/")
PREFIX = "/" + PREFIX if PREFIX else ""
HOST, _, PORT = HOST_PORT.rpartition(":")
HANDLER = os.environ.get("_HANDLER", "")
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())

_conn = None
current_request_id = None


def call(method, route, body=None, headers=None):
    global _conn
    for attempt in (0, 1):
        if _conn is None:
            _conn = http.client.HTTPConnection(HOST, int(PORT))
        try:
            _conn.request(method, PREFIX + "/2018-06-01/runtime/" + route, body=body, headers=headers or {})
            res = _conn.getresponse()
            return res.status, dict((k.lower(), v) for k, v in res.getheaders()), res.read()
        except (http.client.HTTPException, ConnectionError):
            _conn.close()
            _conn = None
            if attempt:
                raise


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        cc = headers.get("lambda-runtime-client-context")
        ident = headers.get("lambda-runtime-cognito-identity")
        self.client_context = json.loads(cc) if cc else None
        self.identity = json.loads(ident) if ident else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


class LambdaLogHandler(logging.Handler):
    def emit(self, record):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        msg = self.format(record)
        sys.stdout.write("[%s]\t%s\t%s\t%s\n" % (record.levelname, stamp, current_request_id or "", msg))
        sys.stdout.flush()


def error_payload(exc, error_type=None):
    tb = traceback.extract_tb(exc.__traceback__)
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": current_request_id or "",
        "stackTrace": traceback.format_list(tb),
    }


class HandlerError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def load_handler():
    module_path, dot, function_name = HANDLER.rpartition(".")
    if not dot or not module_path or not function_name:
        raise HandlerError("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % HANDLER)
    module_name = module_path.replace("/", ".")
    if TASK_ROOT not in sys.path:
        sys.path.insert(0, TASK_ROOT)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise HandlerError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        raise HandlerError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e))
    fn = getattr(module, function_name, None)
    if fn is None:
        raise HandlerError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return fn


def post_error(route, payload):
    body = json.dumps(payload).encode()
    call("POST", route, body, {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": payload["errorType"]})


def main():
    global current_request_id
    root = logging.getLogger()
    handler = LambdaLogHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root.handlers = [handler]
    try:
        fn = load_handler()
    except Exception as e:
        payload = error_payload(e, getattr(e, "error_type", None))
        if isinstance(e, HandlerError):
            payload["stackTrace"] = []
        sys.stdout.write("[ERROR] %s: %s\n" % (payload["errorType"], payload["errorMessage"]))
        sys.stdout.flush()
        post_error("init/error", payload)
        sys.exit(1)
    while True:
        _, headers, body = call("GET", "invocation/next")
        current_request_id = headers.get("lambda-runtime-aws-request-id")
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body.decode("utf-8") or "null")
        except ValueError as e:
            post_error("invocation/%s/error" % current_request_id, {"errorMessage": "Unable to unmarshal input: %s" % e, "errorType": "Runtime.UnmarshalError", "requestId": current_request_id, "stackTrace": []})
            continue
        try:
            result = fn(event, LambdaContext(headers))
        except Exception as e:
            payload = error_payload(e)
            sys.stdout.write("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (payload["errorType"], payload["errorMessage"], "".join(payload["stackTrace"])))
            sys.stdout.flush()
            post_error("invocation/%s/error" % current_request_id, payload)
            continue
        try:
            out = json.dumps(result).encode()
        except (TypeError, ValueError) as e:
            post_error("invocation/%s/error" % current_request_id, {"errorMessage": "Unable to marshal response: %s" % e, "errorType": "Runtime.MarshalError", "requestId": current_request_id, "stackTrace": []})
            continue
        sys.stdout.flush()
        call("POST", "invocation/%s/response" % current_request_id, out, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
