/**
 * The terminal: {@link dev.shoal.cli.console.Output} (the one owner of standard output and error)
 * and {@link dev.shoal.cli.console.ProgressDisplay} (progress redrawn in place on a terminal,
 * printed line by line elsewhere).
 */
package dev.shoal.cli.console;
