import {Text} from 'ink';
import type {AccountInfo, Mode} from '../../core/types.js';

export type HeaderProps = {
	title: string;
	/** undefined while GetCallerIdentity runs; null when it failed. */
	account: AccountInfo | null | undefined;
	region: string;
	mode: Mode;
	/** Terminal width: the header stays on one line, leaving out the profile, then the account, when short. */
	width?: number | undefined;
};

/** The header's parts as text, the least important left out first until it fits `width`. */
export function headerParts({title, account, region, mode, width}: HeaderProps): {
	title: string;
	who: string;
	mode: string;
} {
	const modeText = mode === 'sandbox' ? 'SANDBOX' : 'AWS';
	const accountText = account ? `account ${account.accountId}` : account === null ? 'account unknown' : 'account …';
	const profile = account?.profile ? `profile ${account.profile}` : undefined;
	const candidates = [[accountText, profile, region], [accountText, region], [region]].map((parts) =>
		parts.filter(Boolean).join(' · '),
	);
	const fits = (who: string) => width === undefined || `bundledeck · ${title} · ${who} · ${modeText}`.length <= width;
	const who = candidates.find((candidate) => fits(candidate)) ?? region;
	return {title, who, mode: modeText};
}

/**
 * One line on every screen: where you are (screen), who (account/profile), where (region), against what (mode).
 * Never wraps: on narrow terminals the profile goes first, then the account; what is still too long is cut.
 */
export function Header(props: HeaderProps) {
	const {title, who, mode} = headerParts(props);
	return (
		<Text wrap="truncate-end">
			<Text bold>bundledeck</Text> · {title} · {who} ·{' '}
			<Text bold color={props.mode === 'sandbox' ? 'yellow' : 'green'}>
				{mode}
			</Text>
		</Text>
	);
}
