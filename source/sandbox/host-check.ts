/**
 * DNS rebinding guard: a web page can make a browser send requests to 127.0.0.1 under its own host name, and the
 * sandbox's keys are the same on every install. Only Host headers that name the loopback address or localhost
 * (and its subdomains, the virtual-host style buckets) are served. Any port: a local port forward or relay in front
 * of the sandbox keeps the name the client used; the name is what a rebinding page cannot fake.
 */
const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);
const loopbackSuffixes = ['.localhost', '.127.0.0.1'];

export function isAllowedHost(host: string | undefined): boolean {
	if (!host) {
		return false;
	}

	const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
	if (!match) {
		return false;
	}

	const name = match[1]!.replace(/\.$/, '');
	return loopbackNames.has(name) || loopbackSuffixes.some((suffix) => name.endsWith(suffix));
}
