package dev.backprop.cli;

import picocli.CommandLine;

/**
 * {@code --digits}: decimals shown in tables, 0 to 17 (a double has 17 significant digits; more
 * would print noise, and a negative or huge count is a typo).
 */
final class Digits implements CommandLine.ITypeConverter<Integer> {
    static final int MAX = 17;

    @Override
    public Integer convert(String text) {
        int d;
        try {
            d = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number (decimals, 0 to " + MAX + ")");
        }
        if (d < 0 || d > MAX) {
            throw new CommandLine.TypeConversionException("must be between 0 and " + MAX + ", got " + d);
        }
        return d;
    }
}
