/**
 * The cluster API served by managers: route handlers over the store
 * ({@link dev.shoal.controlplane.api.ControlApi}) and the validation of what users declare
 * ({@link dev.shoal.controlplane.api.ServiceSpecValidator}, {@link dev.shoal.controlplane.api.SwarmSpecs}).
 * A refused request names the field and the rule and writes nothing.
 */
package dev.shoal.controlplane.api;
