package dev.backprop.web;

import java.time.Duration;

/**
 * What one request may ask of the server. Each bound keeps a single request (by mistake or on
 * purpose) from holding a thread, the processors or the memory for long: past it the API answers
 * 413 (body), 422 (a formula, graph, network or data set too big) or 503 (out of time, or busy).
 */
final class Bounds {
    private Bounds() {
    }

    /** A JSON request body, formula and point included. */
    static final int MAX_BODY = 64 * 1024;
    /** A fit request's body, whose CSV data set travels inside it. */
    static final int MAX_FIT_BODY = 1024 * 1024;
    /** A formula's characters: a page-long formula is readable; beyond it only a program writes one. */
    static final int MAX_FORMULA = 4000;
    /** Steps (nodes) of a traced formula: the tables would be unreadable beyond. */
    static final int MAX_NODES = 500;
    /** Wall time of one computing request. */
    static final Duration REQUEST_TIME = Duration.ofSeconds(5);
    /** Requests computing or waiting to compute; more are refused with 503 at once. */
    static final int MAX_QUEUED = 256;
    /** Rows of an uploaded data set. */
    static final int MAX_ROWS = 10_000;
    /** Optimiser steps of one fit. */
    static final int MAX_FIT_STEPS = 20_000;
    /** Wall time of one fit, after which it stops as if the user had pressed stop. */
    static final Duration FIT_TIME = Duration.ofSeconds(60);
    /** Fits training at once: each keeps a processor busy. */
    static final int MAX_FITS = 2;
    /** Notebook 7.2: layers K and width D. */
    static final int MAX_DEEP_LAYERS = 10;
    static final int MAX_DEEP_WIDTH = 12;
    /** Notebook 7.3: layers K and width D. */
    static final int MAX_INIT_LAYERS = 30;
    static final int MAX_INIT_WIDTH = 64;
}
