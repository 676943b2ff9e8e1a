/**
 * Health checks with vertx-health-check: {@link org.voicerelay.stt.health.NodeHealth} answers
 * liveness ({@code /health}) and readiness ({@code /ready}) next to the Prometheus endpoint, and
 * {@link org.voicerelay.stt.health.HealthProcedures} holds the checks (gateway reachable, cluster
 * membership, and a JSON-status hook through which {@code SttVerticle} reports its circuit
 * breaker and its saturation). Orchestrators
 * ask both questions; they need different answers.
 */
package org.voicerelay.stt.health;
