// Preloaded into the JavaScript sync server by tests/interop.rs: every HTTP
// server it starts listens on 127.0.0.1 only, never on all interfaces.
import http from "node:http";

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === "number" && typeof rest[0] !== "string") {
    return listen.call(this, port, "127.0.0.1", ...rest);
  }
  return listen.call(this, port, ...rest);
};
