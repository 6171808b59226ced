import {Box, Text} from 'ink';
import type {AccountInfo, Mode} from '../../core/types.js';

export type HeaderProps = {
	title: string;
	account: AccountInfo | undefined;
	region: string;
	mode: Mode;
};

/** One line on every screen: where you are (screen), who (account/profile), where (region), against what (mode). */
export function Header({title, account, region, mode}: HeaderProps) {
	const who = account ? `account ${account.accountId}` : 'account …';
	const profile = account?.profile ? ` · profile ${account.profile}` : '';
	return (
		<Box>
			<Text bold>bundledeck</Text>
			<Text> · {title} · </Text>
			<Text>
				{who}
				{profile} · {region} ·{' '}
			</Text>
			<Text bold color={mode === 'sandbox' ? 'yellow' : 'green'}>
				{mode === 'sandbox' ? 'SANDBOX' : 'AWS'}
			</Text>
		</Box>
	);
}
