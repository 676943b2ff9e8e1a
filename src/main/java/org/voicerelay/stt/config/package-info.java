/**
 * Where configuration comes from: one vertx-config {@code ConfigRetriever} whose stores are the
 * config file, the deployment config, environment variables and system properties, in that
 * order of precedence ({@link org.voicerelay.stt.config.NodeConfig}), and the format that turns
 * a flat {@code NAME=text} variable into its typed place in the JSON
 * ({@link org.voicerelay.stt.config.VariablesFormat}). It exists so that precedence is decided in
 * one place for every program and verticle.
 */
package org.voicerelay.stt.config;
