package dev.backprop.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request the API refuses: the HTTP status and the JSON body that says why. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> body;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.putAll(extra);
        this.body = m;
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }
}
