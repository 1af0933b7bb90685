/**
 * Swarm objects as the API carries them, with the Docker Engine API's field names
 * (PascalCase JSON, {@code ID}, {@code ServiceID}, durations in nanoseconds).
 *
 * <p>Specs ({@link dev.shoal.api.model.ServiceSpec}, {@link dev.shoal.api.model.NodeSpec}) are what a
 * user declares; objects ({@link dev.shoal.api.model.Service}, {@link dev.shoal.api.model.Task},
 * {@link dev.shoal.api.model.Node}, {@link dev.shoal.api.model.Swarm}) are what the store keeps, each
 * with a {@link dev.shoal.api.model.Version} that an update must quote. All records are immutable;
 * "with" methods return changed copies.
 */
package dev.shoal.api.model;
