/**
 * lvs4j for OkHttp: {@link io.lvs4j.okhttp.LvsInterceptor} balances the calls an {@code OkHttpClient} makes to
 * virtual service names ({@code http://orders.lvs/...}) over real servers with lvs-core's IPVS schedulers,
 * connection tracking and persistence, lvs-health's passive and active health, and Resilience4j retries.
 */
package io.lvs4j.okhttp;
