package dev.backprop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backprop serve}, as help lists it. The server itself lives in the web module, which the
 * launcher script runs for this command (so a one-shot command never loads it); this jar alone
 * only says where it is.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"The explorer: backpropagation live in the browser, offline.",
                "Pages for any formula (its graph, the forward and backward passes step by step with the",
                "chain rule typeset, backprop against finite differences and the closed form),",
                "notebooks 7.1, 7.2 and 7.3, and fitting; a JSON API (POST /api/trace answers what",
                "'backprop trace --json' prints). Binds 127.0.0.1 unless told otherwise; Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;
    @Option(names = "--open", description = "Also open the home page in the default browser.")
    boolean open;

    @Override
    public Integer call() {
        throw new BadInput("serve runs from the web module: start it with the launcher, ./backprop serve "
                + "(or java -jar web/target/backprop-web.jar)");
    }
}
