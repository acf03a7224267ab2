package dev.backprop.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backprop.io.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The explorer's HTTP server: the pages, their scripts and MathJax from the jar, and the JSON API.
 * Requests are read by a pool of connection threads; the computing is done by a second, bounded
 * pool, so that a request out of time can be answered 503 while its computation is cancelled, and
 * a flood of requests is refused at once instead of queueing without end.
 */
public final class Explorer implements AutoCloseable {
    /** Where MathJax's files lie inside its webjar. */
    static final String MATHJAX = "META-INF/resources/webjars/mathjax/3.2.2/";
    private static final Pattern STATIC = Pattern.compile("[a-z0-9_-]+\\.(js|css|svg)");
    private static final Pattern MATHJAX_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.js");
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/formula", "formula.html", "/toy", "toy.html", "/deep", "deep.html",
            "/init", "init.html", "/fit", "fit.html");

    static {
        // The JDK's server writes a response's headers and body apart; with Nagle's algorithm on,
        // the client's delayed acknowledgement then holds every keep-alive answer for ~40 ms.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // A client that sends its request slowly, or never finishes it, holds a connection thread:
        // after 20 s the server drops it (the JDK's default is to wait for ever).
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "20");
        }
    }

    private final HttpServer server;
    private final ExecutorService connections;
    private final ThreadPoolExecutor compute;
    private final Semaphore fits = new Semaphore(Bounds.MAX_FITS);
    private final Duration requestTime;
    private final boolean loopback;

    private Explorer(HttpServer server, ExecutorService connections, Duration requestTime, boolean loopback) {
        this.server = server;
        this.connections = connections;
        this.requestTime = requestTime;
        this.loopback = loopback;
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.compute = new ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(Bounds.MAX_QUEUED), r -> {
            Thread t = new Thread(r, "explorer-compute-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts serving on {@code host}:{@code port} (port 0: any free port).
     *
     * @throws IOException when the address cannot be bound (in use, or not this machine's)
     */
    public static Explorer start(String host, int port) throws IOException {
        return start(host, port, Bounds.REQUEST_TIME);
    }

    static Explorer start(String host, int port, Duration requestTime) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 128);
        AtomicInteger n = new AtomicInteger();
        // Connection threads mostly wait (for the computing pool, or on a streaming fit), so there
        // are more of them than processors: enough that fits and slow clients leave room for others.
        ExecutorService connections = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "explorer-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Explorer e = new Explorer(server, connections, requestTime, address.isLoopbackAddress());
        server.createContext("/", e::handle);
        server.setExecutor(connections);
        server.start();
        return e;
    }

    /** The port served, which {@code start(host, 0)} chose. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The home page's address. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        compute.shutdownNow();
        connections.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            Headers h = ex.getResponseHeaders();
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            // Everything comes from this server; MathJax adds style elements, hence unsafe-inline for styles only.
            h.set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "font-src 'self' data:; frame-ancestors 'none'");
            if (loopback && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                // A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) must not read our answers.
                send(ex, 403, error("this server answers only to localhost, 127.0.0.1 or [::1]"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.startsWith("/api/")) {
                api(ex, path.substring(5), method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, 405, error("only GET reads a page"));
            } else {
                file(ex, path);
            }
        } catch (ApiException e) {
            send(ex, e.status(), JsonWriter.write(e.body()));
        } catch (IOException e) {
            // The client went away: nothing to answer.
        } catch (RuntimeException e) {
            send(ex, 500, error("internal error: " + e));
        } finally {
            ex.close();
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        name = name.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    private void api(HttpExchange ex, String name, String method) throws IOException {
        if (name.equals("messages")) {
            if (!method.equals("GET")) {
                throw new ApiException(405, "GET /api/messages?lang=en|ru");
            }
            send(ex, 200, Messages.json(query(ex, "lang")));
            return;
        }
        Function<Map<String, Object>, String> f = switch (name) {
            case "inputs" -> Api::inputs;
            case "trace" -> Api::trace;
            case "graph" -> Api::graph;
            case "check" -> Api::check;
            case "toy" -> Api::toy;
            case "deep" -> Api::deep;
            case "init" -> Api::init;
            case "fit" -> null;
            default -> throw new ApiException(404, "no such API: /api/" + name);
        };
        if (!method.equals("POST")) {
            throw new ApiException(405, "POST a JSON object to /api/" + name);
        }
        if (f == null) {
            fit(ex);
            return;
        }
        String body = body(ex, Bounds.MAX_BODY);
        send(ex, 200, computed(() -> f.apply(Api.object(body))));
    }

    /** Runs {@code task} on the computing pool within the request's time. */
    private <T> T computed(java.util.concurrent.Callable<T> task) {
        Future<T> future;
        try {
            future = compute.submit(task);
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "the server is busy: " + Bounds.MAX_QUEUED + " requests are waiting; try again shortly");
        }
        try {
            return future.get(requestTime.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ApiException(503, "the computation took longer than " + requestTime.toMillis() + " ms and was stopped");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof ArithmeticException) {
                throw new ApiException(400, e.getCause().getMessage());
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void fit(HttpExchange ex) throws IOException {
        String body = body(ex, Bounds.MAX_FIT_BODY);
        Fit run = computed(() -> Fit.of(Api.object(body)));
        if (!fits.tryAcquire()) {
            throw new ApiException(503, "the server is busy: " + Bounds.MAX_FITS + " fits are training; stop one or wait");
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                run.stream(out, new AtomicBoolean());
            }
        } finally {
            fits.release();
        }
    }

    /** The request body, up to {@code max} bytes; 413 beyond. */
    private static String body(HttpExchange ex, int max) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length is not a number");
            }
            if (n > max) {
                // The body stays unread: the connection cannot carry another request, and a client
                // that reused it would have its next request reset.
                ex.getResponseHeaders().set("Connection", "close");
                throw new ApiException(413, "the request body has " + n + " bytes; at most " + max + " are accepted");
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                b.write(buf, 0, r);
                if (b.size() > max) {
                    ex.getResponseHeaders().set("Connection", "close");
                    throw new ApiException(413, "the request body is over " + max + " bytes, the most accepted");
                }
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getQuery();
        if (q == null) {
            return "";
        }
        for (String part : q.split("&")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    /** A page, one of our scripts or styles, or a MathJax file: from the jar, never the file system. */
    private void file(HttpExchange ex, String path) throws IOException {
        String resource = null;
        String page = PAGES.get(path);
        if (page != null) {
            resource = "dev/backprop/web/pages/" + page;
        } else if (path.startsWith("/static/") && STATIC.matcher(path.substring(8)).matches()) {
            resource = "dev/backprop/web/static/" + path.substring(8);
        } else if (path.startsWith("/mathjax/") && MATHJAX_PATH.matcher(path.substring(9)).matches()) {
            resource = MATHJAX + path.substring(9);
        } else if (path.equals("/favicon.ico")) {
            resource = "dev/backprop/web/static/favicon.svg";
        }
        byte[] bytes = null;
        if (resource != null) {
            try (InputStream in = Explorer.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    bytes = in.readAllBytes();
                }
            }
        }
        if (bytes == null) {
            send(ex, 404, "text/plain; charset=utf-8", ("not found: " + path).getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.getResponseHeaders().set("Cache-Control", resource.startsWith(MATHJAX) ? "max-age=86400" : "no-cache");
        send(ex, 200, type(resource), bytes);
    }

    private static String type(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "image/svg+xml";
    }

    private static String error(String message) {
        return JsonWriter.write(Map.of("error", message));
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
