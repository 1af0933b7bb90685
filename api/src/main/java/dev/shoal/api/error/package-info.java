/**
 * Errors of the API: {@link dev.shoal.api.error.ApiException} with an
 * {@link dev.shoal.api.error.ErrorCode}, carried over RSocket as an APPLICATION_ERROR frame whose
 * data is {@code {"Code":"INVALID_ARGUMENT","Message":"..."}}.
 */
package dev.shoal.api.error;
