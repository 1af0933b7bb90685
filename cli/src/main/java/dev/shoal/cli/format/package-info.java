/**
 * Text in and out of the CLI, as Docker's CLI writes and reads it: aligned tables
 * ({@link dev.shoal.cli.format.Table}), {@code --format} for listings and inspect
 * ({@link dev.shoal.cli.format.Listing}, {@link dev.shoal.cli.format.InspectFormat},
 * {@link dev.shoal.cli.format.Template}), Go durations ({@link dev.shoal.cli.format.GoDuration}),
 * elapsed time in words ({@link dev.shoal.cli.format.HumanTime}), {@code service inspect --pretty}
 * ({@link dev.shoal.cli.format.ServicePretty}) and shell-like word splitting.
 * Pure functions, no I/O.
 */
package dev.shoal.cli.format;
