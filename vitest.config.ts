import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		benchmark: {include: ['test/bench/**/*.bench.ts']},
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		env: {CI: 'false', NO_COLOR: '1'},
	},
});
