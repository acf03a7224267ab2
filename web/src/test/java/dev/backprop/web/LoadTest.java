package dev.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.book.ToyModel;
import dev.backprop.cli.JsonOutput;
import dev.backprop.formula.Formula;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bounded load on the loopback address: 32 clients each send 100 {@code /api/trace} requests
 * while another sends malformed and oversized ones. Every good request must get its right answer,
 * every bad one its refusal, and the server must still answer afterwards. Latencies are reported
 * (to target/load-test.txt, and in BENCHMARKS.md), not asserted: this machine is shared.
 */
class LoadTest {
    static final int CLIENTS = 32;
    static final int REQUESTS = 100;
    static final String FORMULA = "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); "
            + "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";

    static String point(int client, int i) {
        return "{\"x\": " + (client + i / 100.0) + ", \"y\": 2, \"beta0\": 1, \"beta1\": 2, \"beta2\": -3, \"beta3\": 0.4, "
                + "\"omega0\": 0.1, \"omega1\": -0.4, \"omega2\": 2, \"omega3\": 3}";
    }

    static String expected(int client, int i) {
        Map<String, Double> p = ToyModel.notebookPoint(); // the notebook's parameters, x varied per request
        p.put("x", client + i / 100.0);
        Formula f = Formula.compile(FORMULA);
        Map<String, Double> ordered = new LinkedHashMap<>();
        f.inputs().forEach(n -> ordered.put(n, p.get(n)));
        return JsonOutput.trace(f, ordered);
    }

    @Test
    void thirtyTwoClientsGetEveryAnswerRightWhileBadRequestsAreRefused() throws Exception {
        String load = String.format(Locale.ROOT, "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Explorer server = Explorer.start("127.0.0.1", 0)) {
            // One client alone first, warmed up: the time a request costs when nothing waits.
            long[] alone = new long[300];
            for (int i = 0; i < alone.length; i++) {
                long t0 = System.nanoTime();
                Http.Answer a = Http.post(server, "/api/trace", "{\"formula\": \"" + FORMULA + "\", \"at\": " + point(0, i) + "}");
                alone[i] = System.nanoTime() - t0;
                assertThat(a.status()).isEqualTo(200);
            }
            long[] aloneWarm = Arrays.copyOfRange(alone, 100, alone.length);
            Arrays.sort(aloneWarm);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            AtomicInteger wrong = new AtomicInteger();
            List<Future<long[]>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    long[] nanos = new long[REQUESTS];
                    for (int i = 0; i < REQUESTS; i++) {
                        String body = "{\"formula\": \"" + FORMULA + "\", \"at\": " + point(client, i) + "}";
                        long t0 = System.nanoTime();
                        Http.Answer a = Http.post(server, "/api/trace", body);
                        nanos[i] = System.nanoTime() - t0;
                        if (a.status() != 200 || !a.body().equals(expected(client, i))) {
                            wrong.incrementAndGet();
                        }
                    }
                    return nanos;
                }));
            }
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger badAnswers = new AtomicInteger();
            Future<?> bad = pool.submit(() -> {
                String huge = "{\"formula\": \"" + "x+".repeat(Bounds.MAX_BODY) + "x\", \"at\": {\"x\": 1}}";
                for (int i = 0; i < 200; i++) {
                    String body = switch (i % 4) {
                        case 0 -> "{\"formula\": \"x*(\", \"at\": {\"x\": 1}}";
                        case 1 -> "{not json";
                        case 2 -> "{\"formula\": \"x\" " + "]".repeat(i) + "}";
                        default -> huge;
                    };
                    int want = i % 4 == 3 ? 413 : 400;
                    try {
                        int status = Http.post(server, "/api/trace", body).status();
                        if (status == want) {
                            refused.incrementAndGet();
                        } else {
                            badAnswers.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // A server may close the connection on an oversized body before reading it all.
                        if (want == 413) {
                            refused.incrementAndGet();
                        } else {
                            badAnswers.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            List<Long> all = new ArrayList<>();
            // Each client's first request also opens its connection while the server's code is
            // still cold: reported apart, as the warm figure is what a page sees once open.
            List<Long> warm = new ArrayList<>();
            for (Future<long[]> f : clients) {
                long[] n = f.get(5, TimeUnit.MINUTES);
                Arrays.stream(n).forEach(all::add);
                Arrays.stream(n).skip(1).forEach(warm::add);
            }
            bad.get(5, TimeUnit.MINUTES);
            pool.shutdown();

            assertThat(wrong.get()).as("good requests answered wrongly or not at all").isZero();
            assertThat(all).hasSize(CLIENTS * REQUESTS);
            assertThat(badAnswers.get()).as("bad requests not refused as they should be").isZero();
            assertThat(refused.get()).isEqualTo(200);
            // Still answering, and still right.
            Http.Answer after = Http.post(server, "/api/trace", "{\"formula\": \"" + FORMULA + "\", \"at\": " + point(0, 0) + "}");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(expected(0, 0));

            long slow = all.stream().filter(n -> n > 900_000_000L).count();
            all.sort(null);
            warm.sort(null);
            String report = String.format(Locale.ROOT, "load: %d clients x %d /api/trace (toy loss, 8 steps), 200 malformed or oversized "
                            + "alongside: 0 failed good requests; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d over 0.9 s); without each client's first request p50 %.2f ms, p99 %.2f ms; "
                            + "one client alone p50 %.2f ms; %d processors, load average before %s",
                    CLIENTS, REQUESTS, all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6,
                    all.get(all.size() - 1) / 1e6, slow, warm.get(warm.size() / 2) / 1e6, warm.get((int) (warm.size() * 0.99)) / 1e6,
                    aloneWarm[aloneWarm.length / 2] / 1e6, Runtime.getRuntime().availableProcessors(), load);
            System.out.println(report);
            Files.writeString(Path.of("target", "load-test.txt"), report + "\n");
        }
    }
}
