/** Found in the issue 15 walk: at 200 columns the wizard's Name column took 115 of them (the dashboard's is capped). */
import {expect, test} from 'vitest';
import {columnsFor} from '../../../source/ui/screens/wizard/instance-step.js';

test('the instance Name column is capped at 40 on wide terminals and still fills narrow ones', () => {
	expect(columnsFor(200).name).toBe(40);
	expect(columnsFor(80).name).toBeLessThan(40);
	expect(columnsFor(80).name).toBeGreaterThanOrEqual(8);
});
