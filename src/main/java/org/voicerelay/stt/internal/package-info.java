/**
 * Small pieces of Vert.x plumbing that the client, the event-bus service and the local gateway
 * share. Not API: nothing here is meant for users, and it may change without notice.
 */
package org.voicerelay.stt.internal;
