package dev.backprop.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backprop serve}: starts the explorer and waits until Ctrl-C. The launcher runs this
 * class from the web module's jar, so the one-shot commands never load a server.
 */
@Command(name = "backprop serve",
        description = {"The explorer: backpropagation live in the browser, offline.",
                "Pages for any formula (its graph, the forward and backward passes step by step with the",
                "chain rule typeset, backprop against finite differences and the closed form),",
                "notebooks 7.1, 7.2 and 7.3, and fitting; a JSON API (POST /api/trace answers what",
                "'backprop trace --json' prints). Binds 127.0.0.1 unless told otherwise; Ctrl-C stops it."})
public final class Serve implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another address lets other "
                    + "machines use the server; it has no login.")
    String host;
    @Option(names = "--open", description = "Also open the home page in the default browser.")
    boolean open;

    private final PrintWriter out;
    private final PrintWriter err;

    Serve(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs {@code backprop serve ARGS}; returns only on a bad argument or when the address cannot be bound. */
    public static void main(String[] args) {
        // backprop.cmd passes the whole command line, "serve" included: cmd cannot drop one
        // argument from %* without re-reading (and mangling) the others.
        if (args.length > 0 && args[0].equals("serve")) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(new Serve(out, err));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("backprop serve: " + ex.getMessage() + " (see backprop serve --help)");
            return 2;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            err.println("backprop serve: --port must be from 0 to 65535, got " + port);
            return 2;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            err.println("backprop serve: --host " + host + ": no such address");
            return 2;
        }
        if (!address.isLoopbackAddress()) {
            err.println("backprop serve: warning: listening on " + host + ", not only this machine: anyone who can reach it "
                    + "can use the explorer (it has no login; it reads no files, and bounds every request)");
        }
        Explorer e;
        try {
            e = Explorer.start(host, port);
        } catch (IOException ex) {
            err.println("backprop serve: cannot listen on " + host + ":" + port + ": " + ex.getMessage()
                    + " (another --port, or --port 0 for any free one)");
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            e.close();
            stopped.countDown();
        }));
        URI uri = e.uri();
        out.println("backprop: the explorer is at " + uri + " (Ctrl-C stops it)");
        if (open) {
            open(uri);
        }
        stopped.await();
        return 0;
    }

    /** Opens {@code uri} in the desktop's browser; says so if there is none, and goes on serving. */
    private void open(URI uri) {
        try {
            if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(uri);
                return;
            }
            new ProcessBuilder("xdg-open", uri.toString()).inheritIO().start();
        } catch (IOException | RuntimeException ex) {
            err.println("backprop serve: could not open a browser (" + ex.getMessage() + "); open " + uri + " yourself");
        }
    }
}
