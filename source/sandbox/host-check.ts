/**
 * DNS rebinding guard: a web page can make a browser send requests to 127.0.0.1 under its own host name, and the
 * sandbox's keys are the same on every install. Only Host headers that name the loopback address or localhost
 * (and its subdomains, the virtual-host style buckets) with one of the allowed ports are served: the sandbox's own
 * port, and in tests the port of a relay in front of it (a page could otherwise come in through any port forward).
 */
const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);
const loopbackSuffixes = ['.localhost', '.127.0.0.1'];

export function isAllowedHost(host: string | undefined, ports: readonly number[]): boolean {
	if (!host) {
		return false;
	}

	const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
	if (!match) {
		return false;
	}

	const name = match[1]!.replace(/\.$/, '');
	const hostPort = match[2] === undefined ? 80 : Number(match[2]);
	if (!ports.includes(hostPort)) {
		return false;
	}

	return loopbackNames.has(name) || loopbackSuffixes.some((suffix) => name.endsWith(suffix));
}
