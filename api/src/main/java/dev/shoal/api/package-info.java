/**
 * The wire contract of Shoal: spec and state records, the JSON codec, the RSocket route list and
 * {@link dev.shoal.api.client.ShoalClient} for Java callers.
 *
 * <p>Starting points: {@link dev.shoal.api.Routes} (every route, its interaction model, request and
 * response types), {@link dev.shoal.api.model.ServiceSpec}, {@link dev.shoal.api.model.Task},
 * {@link dev.shoal.api.error.ApiException}.
 */
package dev.shoal.api;
