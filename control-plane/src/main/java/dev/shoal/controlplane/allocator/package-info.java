/**
 * The allocator: gives new tasks the resources they need before they can be scheduled, and moves
 * them from NEW to PENDING. Without networks yet (they come with the overlay issue) there is
 * nothing to allocate, so the step is a single state change; network attachments, VIPs and
 * published ports will be allocated here from {@code ipam}.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.allocator.Allocator}.
 */
package dev.shoal.controlplane.allocator;
