/** JSON encoding of API bodies ({@link dev.shoal.api.codec.Json}) and of errors on the wire. */
package dev.shoal.api.codec;
