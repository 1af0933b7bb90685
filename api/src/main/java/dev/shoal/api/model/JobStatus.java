package dev.shoal.api.model;

import java.time.Instant;

/**
 * Where a job service stands, Docker's {@code JobStatus}.
 *
 * @param jobIteration  the service version the current run of the job was started at; every
 *                      update of a job service starts a new run
 * @param lastExecution when the current run started
 */
public record JobStatus(Version jobIteration, Instant lastExecution) {}
