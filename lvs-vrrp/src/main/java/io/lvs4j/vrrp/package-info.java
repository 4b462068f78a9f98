/**
 * VRRP (v2 and v3) as keepalived runs it, for the JVM.
 *
 * <p>The engine is pure logic over an injected clock: {@link io.lvs4j.vrrp.VrrpEngine} holds the
 * {@link io.lvs4j.vrrp.VrrpInstance} state machines, the {@code vrrp_script} trackers, tracked
 * interfaces and sync groups, configured with {@link io.lvs4j.vrrp.VrrpInstanceConfig},
 * {@link io.lvs4j.vrrp.VrrpScriptConfig} and {@link io.lvs4j.vrrp.VrrpSyncGroupConfig}. It never
 * touches the network or the host: adverts, addresses and gratuitous ARPs go out through
 * {@link io.lvs4j.vrrp.VrrpActions}, scripts through a {@link io.lvs4j.vrrp.ScriptExecutor}, notify
 * FIFO lines through a {@link io.lvs4j.vrrp.NotifyFifo}; received packets come in, already
 * validated, as {@link io.lvs4j.vrrp.Advert}s.
 *
 * <pre>{@code
 * ExecutorVrrpScheduler scheduler = new ExecutorVrrpScheduler("vrrp");
 * VrrpEngine engine = VrrpEngine.builder(scheduler, actions)
 *         .scriptExecutor(new ProcessScriptExecutor())
 *         .script(VrrpScriptConfig.builder("chk_haproxy").script("/usr/bin/killall -0 haproxy").weight(-60).build())
 *         .instance(VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").virtualRouterId(51)
 *                 .priority(150).virtualAddress("192.168.200.16/24").trackScript("chk_haproxy").build())
 *         .build();
 * scheduler.execute(engine::start);
 * // from the socket reader thread:
 * scheduler.execute(() -> engine.receive("eth0", advert));
 * }</pre>
 *
 * <p>Threading: the engine and its instances are confined to the scheduler's thread; every call
 * into them goes through {@link io.lvs4j.vrrp.VrrpScheduler#execute(Runnable)}. Tests use
 * {@link io.lvs4j.vrrp.ManualVrrpScheduler} and advance time by hand.
 */
package io.lvs4j.vrrp;
