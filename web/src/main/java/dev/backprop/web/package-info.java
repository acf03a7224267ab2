/**
 * The explorer behind {@code backprop serve}: a small HTTP server on the JDK's own
 * {@code com.sun.net.httpserver}, a JSON API over the core (whose trace and graph answers are the
 * command line's {@code --json} text, byte for byte) and plain HTML pages served from the jar.
 */
package dev.backprop.web;
