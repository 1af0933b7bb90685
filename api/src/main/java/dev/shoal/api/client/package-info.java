/** The Java client of the API: {@link dev.shoal.api.client.ShoalClient} and {@link dev.shoal.api.client.Transports}. */
package dev.shoal.api.client;
